; Imports: the module (@import.source), the names brought in (@import.name, @import.alias).
(import_from_statement
  module_name: (_) @import.source
  name: (dotted_name (identifier) @import.name)) @import
(import_from_statement
  module_name: (_) @import.source
  name: (aliased_import
    name: (dotted_name (identifier) @import.name)
    alias: (identifier) @import.alias)) @import
(import_statement name: (dotted_name) @import.source @import.name) @import
(import_statement
  name: (aliased_import name: (dotted_name) @import.source alias: (identifier) @import.alias)) @import
