import { parseOsRelease } from '../../../../exporter/src/read/parse/os-release';

describe('parseOsRelease', () => {
  it('reads NAME and VERSION_ID, quoted or not', () => {
    const debian = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n';
    expect(parseOsRelease(debian)).toEqual({ name: 'Debian GNU/Linux', versionId: '12' });
    expect(parseOsRelease("NAME=Alpine\nVERSION_ID='3.20.1'\n")).toEqual({ name: 'Alpine', versionId: '3.20.1' });
  });

  it('undoes the escapes allowed inside double quotes, and gives empty strings for what is absent', () => {
    expect(parseOsRelease('NAME="A \\"quoted\\" \\\\ name"\n').name).toBe('A "quoted" \\ name');
    expect(parseOsRelease('# NAME=commented\nID=arch\n')).toEqual({ name: '', versionId: '' });
    expect(parseOsRelease('')).toEqual({ name: '', versionId: '' });
  });
});
