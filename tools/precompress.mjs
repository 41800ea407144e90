// Trunk post-build hook for a release build:
// 1. minifies the page's JavaScript glue (wasm-bindgen's `app_<kind>.js`, which Trunk leaves as
//    it is) with terser (and a Subresource Integrity hash index.html gives for it follows);
// 2. names each of the page's modules after its content and tells index.html's loader (below);
// 3. writes brotli (quality 11) and gzip (level 9) copies of the text and wasm files, so our
//    server sends the smallest encoding without compressing on every request. Static hosts
//    ignore the copies or use them the same way.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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
  // The page's modules (`app_<kind>.js`, loaded by index.html's loader, no integrity) and a
  // main app's glue (`app-<hash>.js`, with one).
  if (!/^app(_[a-z]+)?(-[0-9a-f]+)?\.js$/.test(name)) continue;
  const path = join(dir, name);
  const raw = readFileSync(path);
  const { code } = await minify(raw.toString("utf8"), { module: true, compress: true, mangle: true });
  writeFileSync(path, code);
  // Where index.html names the file with its integrity (a main app Trunk starts), the
  // integrity follows the new text.
  index = index.replaceAll(sri(raw), sri(Buffer.from(code)));
  console.log(`precompress: ${name} minified, ${raw.length} -> ${code.length} bytes`);
}
writeFileSync(indexPath, index);

// 2. names each of the page's modules (`app_<kind>.js` and `app_<kind>_bg.wasm`) after its
//    content, so browsers may keep them, and writes the names into index.html's #modules, where
//    the loader finds them.
const modules = {};
const hash = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);
for (const name of readdirSync(dir)) {
  const match = /^app_([a-z]+)(?:-[0-9a-f]+)?\.js$/.exec(name);
  if (!match) continue;
  const kind = match[1];
  const wasmName = readdirSync(dir).find((n) => new RegExp(`^app_${kind}(-[0-9a-f]+)?_bg\\.wasm$`).test(n));
  if (!wasmName) {
    console.error(`precompress: no wasm beside ${name}`);
    process.exit(1);
  }
  const js = readFileSync(join(dir, name));
  const wasm = readFileSync(join(dir, wasmName));
  const tag = hash(Buffer.concat([js, wasm]));
  const files = [`app_${kind}-${tag}.js`, `app_${kind}-${tag}_bg.wasm`];
  renameSync(join(dir, name), join(dir, files[0]));
  renameSync(join(dir, wasmName), join(dir, files[1]));
  modules[kind] = files;
}
const block = /(<script[^>]*id="?modules"?[^>]*>)[^<]*(<\/script>)/;
if (!block.test(index)) {
  console.error("precompress: index.html has no #modules block for the loader");
  process.exit(1);
}
index = index.replace(block, (_, open, close) => `${open}${JSON.stringify(modules)}${close}`);
// Trunk leaves the main module's <link data-trunk> in place when it starts no script.
index = index.replace(/<link[^>]*\bdata-trunk\b[^>]*>/g, "");
writeFileSync(indexPath, index);
console.log(`precompress: modules ${Object.values(modules).flat().join(", ")}`);

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
