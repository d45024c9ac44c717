using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Mesos.StartupProfile;

/// <summary>
/// Reads one EventPipe trace (.nettrace) of a run and adds the methods it ran, as exact identities (defining assembly,
/// MethodDef token, owner's and method's instantiations), to a profile. Events of the runtime provider used:
/// MethodLoadVerbose (JIT keyword 0x10: a method compiled), R2RGetEntryPoint (CompilationDiagnostic 0x2000000000: a
/// method's precompiled code looked up), MethodDetails (MethodDiagnostic 0x4000000000: owner type and type arguments
/// of a method), BulkType (Type 0x80000: module, TypeDef token and arguments of a type) and the module load and
/// rundown events (Loader 0x8: module to assembly). A trace cut short (the process was killed) is read up to the cut.
/// </summary>
internal sealed class TraceReader(AssemblyCatalog catalog)
{
    private readonly Dictionary<ulong, BulkType> _types = [];
    private readonly Dictionary<long, MethodDetail> _details = [];
    private readonly Dictionary<long, string> _modules = [];
    private readonly Dictionary<long, Use> _used = [];
    private readonly HashSet<long> _precompiled = [];

    public bool Truncated { get; private set; }

    public int Unresolved { get; private set; }

    public List<string> UnresolvedSamples { get; } = [];

    public void Read(string path, Dictionary<string, ProfiledMethod> profile)
    {
        using (var source = new EventPipeEventSource(path))
        {
            Subscribe(source);
            try
            {
                source.Process();
            }
            catch (Exception ex) when (ex is FormatException or EndOfStreamException or IOException)
            {
                Truncated = true;
            }
        }

        var seenHere = new HashSet<string>();
        foreach (var (methodId, use) in _used)
        {
            if (ResolveMethod(methodId) is not { } method)
            {
                Unresolved++;
                if (UnresolvedSamples.Count < 20)
                {
                    UnresolvedSamples.Add(use.Text);
                }

                continue;
            }

            if (!profile.TryGetValue(method.Key, out var profiled))
            {
                profile[method.Key] = profiled = new ProfiledMethod(method);
            }

            profiled.FirstUseMs = Math.Min(profiled.FirstUseMs, use.Ms);
            profiled.Jitted |= use.Jitted;
            profiled.Precompiled |= _precompiled.Contains(methodId);
            if (seenHere.Add(method.Key))
            {
                profiled.Traces++;
            }
        }
    }

    private void Subscribe(EventPipeEventSource source)
    {
        var clr = source.Clr;
        var rundown = new ClrRundownTraceEventParser(source);
        void Module(ModuleLoadUnloadTraceData e)
        {
            if (catalog.AssemblyOfModule(e.ModuleILPath) is { } assembly)
            {
                _modules[e.ModuleID] = assembly;
            }
        }

        clr.LoaderModuleLoad += Module;
        rundown.LoaderModuleDCStart += Module;
        rundown.LoaderModuleDCStop += Module;
        clr.TypeBulkType += e =>
        {
            for (var i = 0; i < e.Count; i++)
            {
                var value = e.Values(i);
                var parameters = new ulong[value.TypeParameterCount];
                for (var j = 0; j < parameters.Length; j++)
                {
                    parameters[j] = value.TypeParameterID(j);
                }

                _types[value.TypeID] = new BulkType(value.ModuleID, value.TypeNameID, value.CorElementType, value.TypeName, parameters);
            }
        };
        clr.MethodMethodDetails += e =>
        {
            var parameters = new ulong[e.TypeParameterCount];
            for (var j = 0; j < parameters.Length; j++)
            {
                parameters[j] = (ulong)e.TypeParameters(j);
            }

            _details[e.MethodID] = new MethodDetail(e.TypeID, e.MethodToken, parameters);
        };
        clr.MethodLoadVerbose += e =>
        {
            // Dynamic methods and stubs have no definition to name.
            if (e.IsDynamic || (e.MethodToken & 0x00FFFFFF) == 0)
            {
                return;
            }

            _used[e.MethodID] = _used.TryGetValue(e.MethodID, out var use)
                ? use with { Jitted = true }
                : new Use(e.TimeStampRelativeMSec, Jitted: true, e.MethodNamespace + "::" + e.MethodName);
        };
        clr.MethodR2RGetEntryPoint += e =>
        {
            if (e.EntryPoint != 0)
            {
                _precompiled.Add(e.MethodID);
            }

            _used.TryAdd(e.MethodID, new Use(e.TimeStampRelativeMSec, Jitted: false, e.MethodNamespace + "::" + e.MethodName));
        };
    }

    private MethodIdentity? ResolveMethod(long methodId)
    {
        if (!_details.TryGetValue(methodId, out var detail) || ResolveType((ulong)detail.TypeId) is not NamedType owner)
        {
            return null;
        }

        var arguments = ResolveAll(detail.TypeParameters, 0);
        return arguments is null ? null : new MethodIdentity(owner, detail.Token, arguments);
    }

    private RuntimeType[]? ResolveAll(ulong[] typeIds, int depth)
    {
        var resolved = new RuntimeType[typeIds.Length];
        for (var i = 0; i < resolved.Length; i++)
        {
            if (ResolveType(typeIds[i], depth + 1) is not { } type)
            {
                return null;
            }

            resolved[i] = type;
        }

        return resolved;
    }

    private RuntimeType? ResolveType(ulong typeId, int depth = 0)
    {
        if (depth > 30 || !_types.TryGetValue(typeId, out var type))
        {
            return null;
        }

        if (type.Name == "System.__Canon")
        {
            return new CanonType();
        }

        if (type.ElementType is ElementTypes.SzArray or ElementTypes.Array or ElementTypes.Pointer or ElementTypes.ByRef)
        {
            if (type.Parameters.Length != 1 || ResolveType(type.Parameters[0], depth + 1) is not { } element)
            {
                return null;
            }

            // A multi-dimensional array's rank shows in its name only: "System.Int32[,]".
            var open = type.Name.LastIndexOf('[');
            var rank = type.ElementType == ElementTypes.Array && open >= 0 ? type.Name.Length - open - 1 : 1;
            return new CompositeType(type.ElementType, rank, element);
        }

        if ((type.Token >> 24) == 0x02 && (type.Token & 0xFFFFFF) != 0 && _modules.TryGetValue((long)type.ModuleId, out var assembly))
        {
            if (ResolveAll(type.Parameters, depth) is not { } arguments)
            {
                return null;
            }

            // BulkType's own name is empty in these traces: the name comes from metadata, and __Canon is told by it.
            var name = catalog.TypeName(assembly, type.Token) ?? type.Name;
            return name == "System.__Canon" ? new CanonType() : new NamedType(assembly, type.Token, name, arguments);
        }

        return type.ElementType is >= 0x01 and <= 0x0E or 0x18 or 0x19 or 0x1C ? new PrimitiveType(type.ElementType) : null;
    }

    private sealed record BulkType(ulong ModuleId, int Token, byte ElementType, string Name, ulong[] Parameters);

    private sealed record MethodDetail(long TypeId, int Token, ulong[] TypeParameters);

    private sealed record Use(double Ms, bool Jitted, string Text);
}
