/** The Prompt Lab header's capability line: where the chat role's model runs, as core reads it, in the protocol's shape. */
import type { CapabilitySource, ModelCapability } from '../../core/promptlab/capability';
import type { CapabilityDto } from '../../protocol/promptlab';
import type { ModelView } from '../modelRuntime';

/** A local model is its folder; a model without one that did not fail is a server. */
export function capabilitySource(m: ModelView): CapabilitySource {
  if (m.folder) return { kind: 'folder', folder: m.folder };
  if (m.state === 'error') return { kind: 'unknown', name: m.name };
  return { kind: 'server', name: m.name, fim: m.fim !== undefined };
}

export function capabilityDto(c: ModelCapability): CapabilityDto {
  return { chat: c.chat, fim: c.fim, contextLength: c.contextLength, summary: c.summary, note: c.note };
}
