/** The bracket pairs of code: each opener's closer, and each closer's opener. */
export const CLOSER_OF: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
export const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
