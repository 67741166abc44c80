; Enclosing scopes for Python: @scope.function / @scope.class, named by @name.
(function_definition name: (identifier) @name) @scope.function
(class_definition name: (identifier) @name) @scope.class
