// A pool worker: loads the worker's wasm (its own instance and memory) and starts it.
// Kept apart from worker.js, which Trunk writes, so the page starts workers from one fixed name.
import init from "./worker.js";

init();
