; Imports: the module path (@import.source), the names brought in (@import.name, @import.alias).
(use_declaration
  argument: (scoped_identifier path: (_) @import.source name: (identifier) @import.name)) @import
(use_declaration
  argument: (use_as_clause
    path: (scoped_identifier path: (_) @import.source name: (identifier) @import.name)
    alias: (identifier) @import.alias)) @import
(use_declaration
  argument: (scoped_use_list
    path: (_) @import.source
    list: (use_list (identifier) @import.name))) @import
(use_declaration
  argument: (scoped_use_list
    path: (_) @import.source
    list: (use_list (use_as_clause path: (identifier) @import.name alias: (identifier) @import.alias)))) @import
(use_declaration argument: (identifier) @import.source @import.name) @import
(mod_item name: (identifier) @import.source @import.name !body) @import
