/** Command ids, declared once; package.json contributes the same ids with category "Lathe". */
export const CommandIds = {
  showLogs: 'lathe.showLogs',
  openPromptLab: 'lathe.openPromptLab',
} as const;
