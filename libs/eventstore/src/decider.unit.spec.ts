import { describe, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { counter } from './fixtures/counter.js';

const spec = deciderSpec(counter);

describe('decider given/when/then (counter fixture)', () => {
  it('increments', () => {
    spec
      .given([])
      .when({ type: 'Increment', by: 2 })
      .then([{ type: 'CounterIncremented', data: { by: 2 } }]);
  });
  it('refuses to pass the limit', () => {
    spec
      .given([{ type: 'CounterIncremented', data: { by: 99 } }])
      .when({ type: 'Increment', by: 2 })
      .thenThrows('COUNTER_LIMIT');
  });
  it('does nothing when resetting a zero counter', () => {
    spec.given([]).when({ type: 'Reset' }).thenNothingHappens();
  });
});
