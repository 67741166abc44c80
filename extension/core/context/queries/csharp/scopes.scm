; Enclosing scopes for C#: @scope.function / @scope.class, named by @name.
(namespace_declaration name: (_) @name) @scope.class
(class_declaration name: (identifier) @name) @scope.class
(struct_declaration name: (identifier) @name) @scope.class
(interface_declaration name: (identifier) @name) @scope.class
(record_declaration name: (identifier) @name) @scope.class
(enum_declaration name: (identifier) @name) @scope.class
(method_declaration name: (identifier) @name) @scope.function
(constructor_declaration name: (identifier) @name) @scope.function
(local_function_statement name: (identifier) @name) @scope.function
