; Enclosing scopes for Go: @scope.function / @scope.class, named by @name.
(function_declaration name: (identifier) @name) @scope.function
(method_declaration name: (field_identifier) @name) @scope.function
(type_declaration (type_spec name: (type_identifier) @name type: [(struct_type) (interface_type)])) @scope.class
