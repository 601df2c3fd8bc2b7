import { defaultConfig } from '../../../exporter/src/config/defaults';
import { loadConfig } from '../../../exporter/src/config/load';

describe('defaultConfig', () => {
  it('is the config loadConfig gives without a file (an empty YAML document)', () => {
    expect(defaultConfig()).toEqual(loadConfig(null));
  });
});
