; Enclosing scopes for Java: @scope.function / @scope.class, named by @name.
(class_declaration name: (identifier) @name) @scope.class
(interface_declaration name: (identifier) @name) @scope.class
(enum_declaration name: (identifier) @name) @scope.class
(record_declaration name: (identifier) @name) @scope.class
(method_declaration name: (identifier) @name) @scope.function
(constructor_declaration name: (identifier) @name) @scope.function
