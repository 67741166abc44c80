; Imports: `use` clauses (@import.source namespace, @import.name class, @import.alias) and
; require/include paths.
(namespace_use_clause
  (qualified_name prefix: (namespace_name) @import.source (name) @import.name)
  alias: (name)? @import.alias) @import
(namespace_use_clause . (name) @import.name alias: (name)? @import.alias) @import
(require_once_expression [(string) (encapsed_string)] @import.source) @import
(require_expression [(string) (encapsed_string)] @import.source) @import
(include_once_expression [(string) (encapsed_string)] @import.source) @import
(include_expression [(string) (encapsed_string)] @import.source) @import
