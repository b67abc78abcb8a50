// Loads the h2wasm package (through its own name, as an application would) and prints what
// the WebAssembly module reports. A placeholder until the HTTP/2 demo lands.
import { errorCodeName, init, version } from 'h2wasm';

await init();
console.log(`h2wasm ${version()} loaded in Node ${process.version}`);
console.log(`error code 0x1 is ${errorCodeName(1)}`);
