; Imports: require / require_relative / load paths (@import.source).
(call
  method: (identifier) @_method
  arguments: (argument_list (string (string_content) @import.source))
  (#match? @_method "^(require|require_relative|load)$")) @import
