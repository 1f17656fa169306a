import { describe, expect, it } from 'vitest';
import { auc } from '../eval/metrics';
import { syntheticDataset } from '../testing/fixtures';
import { trainLogistic } from './logistic';

describe('logistic-regression baseline', () => {
  it('learns a usable ranking on synthetic data, missing values included', () => {
    const train = syntheticDataset(3000, 31);
    const test = syntheticDataset(2000, 32);
    const model = trainLogistic(train);
    expect(auc(test.label, model.predict(test))).toBeGreaterThan(0.7);
  });
});
