; Enclosing scopes for TypeScript and TSX: @scope.function / @scope.class, named by @name.
(function_declaration name: (identifier) @name) @scope.function
(generator_function_declaration name: (identifier) @name) @scope.function
(method_definition name: (_) @name) @scope.function
(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression)]) @scope.function
(class_declaration name: (type_identifier) @name) @scope.class
(abstract_class_declaration name: (type_identifier) @name) @scope.class
(interface_declaration name: (type_identifier) @name) @scope.class
(enum_declaration name: (identifier) @name) @scope.class
(internal_module name: (_) @name) @scope.class
