; Imports: the package (@import.source) and the class brought in (@import.name).
(import_declaration (scoped_identifier scope: (_) @import.source name: (identifier) @import.name)) @import
(import_declaration (scoped_identifier) @import.source (asterisk)) @import
