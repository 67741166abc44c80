; Imports: the module (@import.source), the names brought in (@import.name, @import.alias).
(import_statement
  (import_clause
    (named_imports
      (import_specifier name: (identifier) @import.name alias: (identifier)? @import.alias)))
  source: (string (string_fragment) @import.source)) @import
(import_statement
  (import_clause (identifier) @import.name)
  source: (string (string_fragment) @import.source)) @import
(import_statement
  (import_clause (namespace_import (identifier) @import.name))
  source: (string (string_fragment) @import.source)) @import
(variable_declarator
  name: (identifier) @import.name
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments (string (string_fragment) @import.source)))
  (#eq? @_require "require")) @import
