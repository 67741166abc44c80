; Imports: the package path (@import.source) and its local name (@import.alias, when renamed).
(import_spec
  name: (package_identifier)? @import.alias
  path: (interpreted_string_literal (interpreted_string_literal_content) @import.source)) @import
