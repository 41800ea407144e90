// The files worker: loads its own wasm (files_worker.js, which Trunk writes) and starts it.
// Kept apart from that file so the page starts the worker from one fixed name. If its wasm
// cannot load, it says so in the page's words instead of leaving the page waiting.
import init from "./files_worker.js";

init().catch(() => postMessage({ refused: "could not be handled: its worker did not start" }));
