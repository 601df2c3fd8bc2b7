// Grafana core's setter for plugins' page chrome: in @grafana/runtime, but not in its public entry.
declare module '*/components/PluginPage.mjs' {
  import type { ComponentType } from 'react';
  import type { PluginPageProps } from '@grafana/runtime';
  export function setPluginPage(component: ComponentType<PluginPageProps>): void;
}
