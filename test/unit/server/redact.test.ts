import { redactCmdline } from '../../../exporter/src/server/redact';

describe('command-line redaction', () => {
  it.each([
    ['mysqld --user=mysql --password=hunter2 --port=3306', 'mysqld --user=mysql --password=*** --port=3306'],
    ['app --db-password "s3cret value" -v', 'app --db-password *** -v'],
    ['worker --api-key abcdef --region eu', 'worker --api-key *** --region eu'],
    ['psql postgres://admin:pa55w0rd@db:5432/prod', 'psql postgres://admin:***@db:5432/prod'],
    ['env AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI GITHUB_TOKEN=ghp_x run', 'env AWS_SECRET_ACCESS_KEY=*** GITHUB_TOKEN=*** run'],
    ['curl -H Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x', 'curl -H Authorization: Bearer ***'],
    ['agent --id 0123456789abcdef0123456789abcdef01', 'agent --id ***'],
    ['nginx: worker process', 'nginx: worker process'],
    ['java -Xmx2g -jar app.jar --server.port=8080', 'java -Xmx2g -jar app.jar --server.port=8080'],
  ])('%s', (input, expected) => {
    expect(redactCmdline(input)).toBe(expected);
  });
});
