/** Command ids, declared once; package.json contributes the same ids with category "Lathe". */
export const CommandIds = {
  showLogs: 'lathe.showLogs',
  openPromptLab: 'lathe.openPromptLab',
  openDatasetEditor: 'lathe.openDatasetEditor',
  statusMenu: 'lathe.statusMenu',
  toggleCompletions: 'lathe.toggleCompletions',
  snoozeCompletions: 'lathe.snoozeCompletions',
  showCompletionStats: 'lathe.showCompletionStats',
  setRemoteApiKey: 'lathe.setRemoteApiKey',
  generateImage: 'lathe.generateImage',
  generateDocComment: 'lathe.generateDocComment',
  extractFunction: 'lathe.extractFunction',
  suggestNames: 'lathe.suggestNames',
  generateCodeFromComment: 'lathe.generateCodeFromComment',
  completeFunctionBody: 'lathe.completeFunctionBody',
  generateTests: 'lathe.generateTests',
  explainSelection: 'lathe.explainSelection',
  refactorWithInstruction: 'lathe.refactorWithInstruction',
  previewApply: 'lathe.preview.apply',
  previewDiscard: 'lathe.preview.discard',
  /** Internal: run by VS Code when an inline suggestion is accepted. */
  completionAccepted: 'lathe.completionAccepted',
} as const;
