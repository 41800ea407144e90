// Trunk post-build hook for a release build:
// 1. minifies the page's JavaScript glue (wasm-bindgen's `app-*.js`, which Trunk leaves as it
//    is) with terser, and writes its new Subresource Integrity hash into index.html, where
//    Trunk put the old one;
// 2. writes brotli (quality 11) and gzip (level 9) copies of the text and wasm files, so our
//    server sends the smallest encoding without compressing on every request. Static hosts
//    ignore the copies or use them the same way.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { minify } from "terser";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("precompress: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)");
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== "release") {
  process.exit(0);
}
const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
const indexPath = join(dir, "index.html");
let index = readFileSync(indexPath, "utf8");
for (const name of readdirSync(dir)) {
  if (!/^app-[0-9a-f]+\.js$/.test(name)) continue;
  const path = join(dir, name);
  const raw = readFileSync(path);
  const { code } = await minify(raw.toString("utf8"), { module: true, compress: true, mangle: true });
  const before = sri(raw);
  if (!index.includes(before)) {
    console.error(`precompress: index.html has no integrity ${before} for ${name}`);
    process.exit(1);
  }
  writeFileSync(path, code);
  index = index.replaceAll(before, sri(Buffer.from(code)));
  console.log(`precompress: ${name} minified, ${raw.length} -> ${code.length} bytes`);
}
writeFileSync(indexPath, index);

const compressible = /\.(wasm|js|css|html|svg|json)$/;
for (const name of readdirSync(dir)) {
  if (!compressible.test(name)) continue;
  const path = join(dir, name);
  const raw = readFileSync(path);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gzipSync(raw, { level: 9 }));
}
