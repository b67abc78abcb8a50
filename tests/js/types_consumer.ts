// Type-checked by package.test.mjs against the installed package's index.d.ts (never run).
import { errorCodeName, init, version, type InitSource } from 'h2wasm';

await init();
await init(new URL('https://example.invalid/h2wasm.wasm') satisfies InitSource);
const v: string = version();
const name: string | undefined = errorCodeName(1);

// @ts-expect-error the name may be undefined
const wrong: string = errorCodeName(99);
// @ts-expect-error the code is a number
errorCodeName('1');

export { v, name, wrong };
