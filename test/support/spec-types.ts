/** The part of Mocha's and node:test's APIs that tests running in both places may use. */
export type TestBody = () => void | Promise<void>;
export type DescribeFn = (name: string, body: () => void) => void;
export type ItFn = (name: string, body: TestBody) => void;
export type HookFn = (body: TestBody) => void;
