// Trunk post-build hook: writes brotli (quality 11) and gzip (level 9) copies of the text and
// wasm files of a release build, so our server sends the smallest encoding without compressing
// on every request. Static hosts ignore the copies or use them the same way.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("precompress: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)");
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== "release") {
  process.exit(0);
}
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
