/** Where a setting's value came from: the user's own settings or a workspace's (which a repository can ship). */
export type SettingSource = 'default' | 'user' | 'workspace';
