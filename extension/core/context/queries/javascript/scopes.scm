; Enclosing scopes for JavaScript and JSX: @scope.function / @scope.class, named by @name.
(function_declaration name: (identifier) @name) @scope.function
(generator_function_declaration name: (identifier) @name) @scope.function
(method_definition name: (_) @name) @scope.function
(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression)]) @scope.function
(class_declaration name: (identifier) @name) @scope.class
