/**
 * The worker side as Nest modules (DESIGN.md architecture): the projector, the
 * deadline reactor with its BullMQ processors and sweep, parking and the store
 * checkpointer. The worker process (apps/worker) and the all-in-one API
 * process (apps/api, CASELEDGER_WORKER=on) both compose it.
 */
export { WorkerModule, WorkerProcessModule, type WorkerProcessOptions } from './worker.module';
