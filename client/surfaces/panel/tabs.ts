/** The panel's tabs, in the order of the meeting's work. */
export const PANEL_TABS = ['questions', 'speakers', 'agenda', 'overview'] as const;
export type PanelTab = (typeof PANEL_TABS)[number];
export const isPanelTab = (x: unknown): x is PanelTab => PANEL_TABS.includes(x as PanelTab);
