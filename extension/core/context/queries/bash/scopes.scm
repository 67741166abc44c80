; Enclosing scopes for shell scripts: functions, named by @name.
(function_definition name: (word) @name) @scope.function
