import { instanceLabelOf } from './constants';

describe('instance label setting', () => {
  it('is the configured label, else instance', () => {
    expect(instanceLabelOf({ instanceLabel: 'host' })).toBe('host');
    expect(instanceLabelOf({})).toBe('instance');
    expect(instanceLabelOf({ instanceLabel: '' })).toBe('instance');
  });

  it('falls back to instance when the saved value is not a Prometheus label name', () => {
    expect(instanceLabelOf({ instanceLabel: 'not a label' })).toBe('instance');
    expect(instanceLabelOf({ instanceLabel: '9host' })).toBe('instance');
  });
});
