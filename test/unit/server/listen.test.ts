import { parseListenAddress } from '../../../exporter/src/server/listen';

describe('--web.listen-address', () => {
  it('parses listen addresses', () => {
    expect(parseListenAddress('[::1]:9556')).toEqual({ host: '::1', port: 9556 });
    expect(parseListenAddress(':80')).toEqual({ host: '', port: 80 });
    expect(parseListenAddress('h:70000')).toBeNull();
  });
});
