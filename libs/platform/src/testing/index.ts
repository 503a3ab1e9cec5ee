/** Test support of the platform lib (the executor specification), for specs inside and outside it. */
export * from './executor-specification';
