; Definitions for the workspace tags index: @definition.<kind>, named by @name.
(method name: (_) @name) @definition.method
(singleton_method name: (_) @name) @definition.method
(class name: (constant) @name) @definition.class
(module name: (constant) @name) @definition.module
(assignment left: (constant) @name) @definition.constant
