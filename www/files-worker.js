// The files worker: loads its own wasm (files_worker.js, which Trunk writes) and starts it.
// Kept apart from that file so the page starts the worker from one fixed name. If its wasm
// cannot load, it says so in the page's words instead of leaving the page waiting.
import init from "./files_worker.js";

// The page reads `[bytes, beside]` (src/files.rs); the bytes are postcard's of
// `FilesReply::Refused(text)`: the variant's index (2), the text's length (under 128: one
// byte), the text.
init().catch(() => {
  const text = new TextEncoder().encode("could not be handled: its worker did not start");
  postMessage([Uint8Array.of(2, text.length, ...text), null]);
});
