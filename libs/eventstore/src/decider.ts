import type { DomainEvent } from './types.js';

/**
 * An aggregate as a pure decider (Chassaing): `decide` turns a command and the current state into
 * new events or throws an AppError; `evolve` folds one event into the state. No I/O, no clock.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
}

/** Folds events into a state from the decider's initial state. */
export function foldEvents<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, e);
  return state;
}
