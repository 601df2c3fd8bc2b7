export const testIds = {
  appConfig: {
    container: 'data-testid ac-container',
    datasource: 'data-testid ac-datasource',
    instanceLabel: 'data-testid ac-instance-label',
    submit: 'data-testid ac-submit-form',
  },
  onboarding: { container: 'data-testid onboarding' },
  suggestions: {
    container: 'data-testid suggestions',
    card: 'data-testid suggestion-card',
    empty: 'data-testid suggestions-empty',
    helpful: 'data-testid suggestion-helpful',
    notHelpful: 'data-testid suggestion-not-helpful',
    applied: 'data-testid suggestion-applied',
    sent: 'data-testid suggestion-sent',
    efficacy: 'data-testid suggestion-efficacy',
  },
  explorer: { table: 'data-testid bottleneck-table', row: 'data-testid bottleneck-row', empty: 'data-testid bottleneck-empty', culprit: 'data-testid bottleneck-culprit' },
  slowedBy: { list: 'data-testid slowed-by', item: 'data-testid slowed-by-item', none: 'data-testid slowed-by-none' },
  forecasts: {
    exhaustion: 'data-testid exhaustion-table',
    row: 'data-testid exhaustion-row',
    empty: 'data-testid exhaustion-empty',
    accuracy: 'data-testid accuracy-table',
    accuracyRow: 'data-testid accuracy-row',
    accuracyEmpty: 'data-testid accuracy-empty',
  },
};
