; Enclosing scopes for PHP: @scope.function / @scope.class, named by @name.
(function_definition name: (name) @name) @scope.function
(method_declaration name: (name) @name) @scope.function
(class_declaration name: (name) @name) @scope.class
(interface_declaration name: (name) @name) @scope.class
(trait_declaration name: (name) @name) @scope.class
(enum_declaration name: (name) @name) @scope.class
