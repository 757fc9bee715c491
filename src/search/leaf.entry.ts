/**
 * The search workers' entry (built runs): the leaf worker's handler, loaded by import(). piscina
 * require()s a task file first, and Node 20's require() of an ES module loads its whole graph on a
 * synchronous path that, for a worker terminated while loading (a node stopped just after it started),
 * could abort the whole process ("v8::Module::IsGraphAsync must be used on an instantiated module";
 * seen in CI). The top-level await makes that require() refuse at once (this file imports nothing
 * statically) and piscina import()s it instead, as it does the source runs' leaf.worker.dev.mjs.
 */
const leaf = await import('./leaf.worker.js');
export default leaf.default;
