; Enclosing scopes for Ruby: @scope.function / @scope.class, named by @name.
(method name: (_) @name) @scope.function
(singleton_method name: (_) @name) @scope.function
(class name: (_) @name) @scope.class
(module name: (_) @name) @scope.class
