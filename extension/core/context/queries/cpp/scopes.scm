; Enclosing scopes for C and C++: @scope.function / @scope.class, named by @name.
(function_definition declarator: (function_declarator declarator: (_) @name)) @scope.function
(function_definition
  declarator: (pointer_declarator declarator: (function_declarator declarator: (_) @name))) @scope.function
(function_definition
  declarator: (reference_declarator (function_declarator declarator: (_) @name))) @scope.function
(class_specifier name: (_) @name body: (_)) @scope.class
(struct_specifier name: (_) @name body: (_)) @scope.class
(namespace_definition name: (_) @name) @scope.class
