// Parses a Jenkinsfile as Groovy (syntax only, nothing runs): `groovy ci/check_jenkinsfile.groovy Jenkinsfile`.
// The real Declarative validator needs a running Jenkins; this catches syntax errors offline.
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.Phases

def unit = new CompilationUnit()
unit.addSource(new File(args[0]))
unit.compile(Phases.CONVERSION)
println "${args[0]}: Groovy syntax ok"
