// A promise with its settle functions, settled at most once. Its rejection is marked handled:
// the owner hands the promise out and whoever awaits it gets the error; an unread rejection
// must not crash the process.

const noop = () => {};

/** `{ promise, resolve, reject, settled }`. */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(noop);
  const d = { promise, settled: false };
  d.resolve = (value) => {
    if (d.settled) return;
    d.settled = true;
    resolve(value);
  };
  d.reject = (error) => {
    if (d.settled) return;
    d.settled = true;
    reject(error);
  };
  return d;
}
