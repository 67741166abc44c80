; Imports: `using` directives name a namespace (@import.source), optionally aliased (@import.alias).
(using_directive (qualified_name) @import.source) @import
(using_directive (identifier) @import.source .) @import
