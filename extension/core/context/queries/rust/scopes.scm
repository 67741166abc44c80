; Enclosing scopes for Rust: @scope.function / @scope.class, named by @name.
(function_item name: (identifier) @name) @scope.function
(impl_item type: (_) @name) @scope.class
(trait_item name: (type_identifier) @name) @scope.class
(struct_item name: (type_identifier) @name) @scope.class
(enum_item name: (type_identifier) @name) @scope.class
(mod_item name: (identifier) @name body: (declaration_list)) @scope.class
