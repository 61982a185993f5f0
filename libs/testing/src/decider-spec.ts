import { expect } from 'vitest';
import type { Decider, DomainEvent } from '@medspa/eventstore';

/**
 * Given/when/then for pure deciders: given these past events, when this command, then these new
 * events (or this error reason). No database, no mocks.
 */
export function deciderSpec<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given: (past: E[]) => ({
      when: (command: C) => {
        const run = () => decider.decide(command, past.reduce(decider.evolve, decider.initialState()));
        return {
          then: (expected: E[]) => expect(run()).toEqual(expected),
          thenNothingHappens: () => expect(run()).toEqual([]),
          thenThrows: (reason: string) => {
            let thrown: unknown;
            try {
              run();
            } catch (e) {
              thrown = e;
            }
            expect(thrown, `expected ${reason} to be thrown`).toBeDefined();
            expect(thrown).toMatchObject({ reason });
          },
        };
      },
    }),
  };
}
