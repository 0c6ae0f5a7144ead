/** imagetracerjs ships no types; the simulator reads the one function it uses, and checks it at load. */
declare module 'imagetracerjs' {
  const tracer: unknown;
  export default tracer;
}
