// Trunk post-build hook for a release build:
// 1. minifies the page's JavaScript glue (wasm-bindgen's `app_<kind>.js` and the splitter's
//    `__wasm_split.js`, in each module's folder `app_<kind>/`, which `cargo xtask modules`
//    writes) with terser;
// 2. names each module's folder after its content and tells index.html's loader (below);
// 3. writes brotli (quality 11) and gzip (level 9) copies of the text and wasm files, so our
//    server sends the smallest encoding without compressing on every request. Static hosts
//    ignore the copies or use them the same way.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
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
const indexPath = join(dir, "index.html");
let index = readFileSync(indexPath, "utf8");
const moduleFolders = readdirSync(dir).filter((name) => /^app_[a-z]+$/.test(name));
if (moduleFolders.length === 0) {
  console.error("precompress: no module folder app_<kind>/ (cargo xtask modules writes them)");
  process.exit(1);
}
for (const folder of moduleFolders) {
  for (const name of readdirSync(join(dir, folder))) {
    if (!name.endsWith(".js")) continue;
    const path = join(dir, folder, name);
    const raw = readFileSync(path);
    const { code } = await minify(raw.toString("utf8"), { module: true, compress: true, mangle: true });
    writeFileSync(path, code);
    console.log(`precompress: ${folder}/${name} minified, ${raw.length} -> ${code.length} bytes`);
  }
}

// 2. names each module's folder (`app_<kind>/`) after its content, so browsers may keep its
//    files, and writes the names into index.html's #modules, where the loader finds them.
const modules = {};
for (const folder of moduleFolders) {
  const kind = folder.slice("app_".length);
  const names = readdirSync(join(dir, folder)).sort();
  for (const wanted of [`${folder}.js`, `${folder}_bg.wasm`]) {
    if (!names.includes(wanted)) {
      console.error(`precompress: ${folder}/ has no ${wanted}`);
      process.exit(1);
    }
  }
  const content = createHash("sha256");
  for (const name of names) content.update(name).update(readFileSync(join(dir, folder, name)));
  const named = `${folder}-${content.digest("hex").slice(0, 16)}`;
  renameSync(join(dir, folder), join(dir, named));
  modules[kind] = [`${named}/${folder}.js`, `${named}/${folder}_bg.wasm`];
}
const block = /(<script[^>]*id="?modules"?[^>]*>)[^<]*(<\/script>)/;
if (!block.test(index)) {
  console.error("precompress: index.html has no #modules block for the loader");
  process.exit(1);
}
index = index.replace(block, (_, open, close) => `${open}${JSON.stringify(modules)}${close}`);
// Trunk leaves the skipped main pipeline's <link data-trunk> in place.
index = index.replace(/<link[^>]*\bdata-trunk\b[^>]*>/g, "");
writeFileSync(indexPath, index);
console.log(`precompress: modules ${Object.values(modules).flat().join(", ")}`);

const compressible = /\.(wasm|js|css|html|svg|json)$/;
const compress = (folder) => {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      // The modules' folders; the others (notes, articles, examples) as they are.
      if (/^app_[a-z]+-[0-9a-f]+$/.test(name)) compress(path);
      continue;
    }
    if (!compressible.test(name)) continue;
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
};
compress(dir);
