using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Mesos.StartupProfile;

/// <summary>
/// Writes a .mibc profile: an IL-only assembly whose code lists methods, the format crossgen2 reads with --mibc.
/// <c>&lt;Module&gt;::AssemblyDictionary</c> holds one <c>ldstr "Defining;Other;...;" ldtoken group pop</c> per group of
/// methods (by the assemblies they need), and each group method one <c>ldtoken method ldstr "ExclusiveWeight" ldc.r8 w
/// pop</c> per method. A method is a MemberRef by owner, name and the definition's own signature (re-expressed with this
/// file's TypeRefs), so the profile still finds a method after its tokens change; generic owners are TypeSpecs, generic
/// methods MethodSpecs, and shared code's System.__Canon is written as [System.Private.Canon]System.__Canon, the name
/// crossgen2 maps to its canonical type.
/// </summary>
internal sealed class MibcWriter
{
    private readonly AssemblyCatalog _catalog;
    private readonly MetadataBuilder _metadata = new();
    private readonly BlobBuilder _il = new();
    private readonly MethodBodyStreamEncoder _bodies;
    private readonly Dictionary<string, AssemblyReferenceHandle> _assemblyRefs = [];
    private readonly Dictionary<string, EntityHandle> _types = [];
    private readonly Dictionary<string, EntityHandle> _methods = [];
    private readonly EntityHandle _canon;
    private readonly BlobHandle _voidSignature;

    public MibcWriter(AssemblyCatalog catalog, string name)
    {
        _catalog = catalog;
        _bodies = new MethodBodyStreamEncoder(_il);
        var nameHandle = _metadata.GetOrAddString(name);
        _metadata.AddModule(0, nameHandle, _metadata.GetOrAddGuid(DeterministicGuid(name)), default, default);
        _metadata.AddAssembly(nameHandle, new Version(0, 0, 0, 0), default, default, default, AssemblyHashAlgorithm.None);
        _metadata.AddTypeDefinition(default, default, _metadata.GetOrAddString("<Module>"), default,
            MetadataTokens.FieldDefinitionHandle(1), MetadataTokens.MethodDefinitionHandle(1));
        _canon = _metadata.AddTypeReference(AssemblyRef("System.Private.Canon"), _metadata.GetOrAddString("System"), _metadata.GetOrAddString("__Canon"));
        var signature = new BlobBuilder();
        new BlobEncoder(signature).MethodSignature().Parameters(0, r => r.Void(), _ => { });
        _voidSignature = _metadata.GetOrAddBlob(signature);
    }

    /// <summary>Methods that could not be written (their assembly is not in the catalog, or the token is not theirs).</summary>
    public List<string> Skipped { get; } = [];

    /// <summary>The group a method belongs to: its defining assembly, then every other assembly of its instantiation.</summary>
    public static string GroupName(MethodIdentity method)
    {
        var others = new SortedSet<string>(StringComparer.Ordinal);
        CollectAssemblies(method.Owner, others);
        foreach (var argument in method.MethodArguments)
        {
            CollectAssemblies(argument, others);
        }

        others.Remove(method.Assembly);
        return method.Assembly + ";" + string.Concat(others.Select(o => o + ";"));
    }

    /// <summary>The method's name in its assembly's metadata.</summary>
    public string MethodName(MethodIdentity method)
    {
        var source = _catalog.ByName[method.Assembly];
        return source.GetString(source.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(method.MethodDefToken & 0xFFFFFF)).Name);
    }

    public void Write(Stream output, IEnumerable<(MethodIdentity Method, double Weight)> methods)
    {
        var groups = new SortedDictionary<string, InstructionEncoder>(StringComparer.Ordinal);
        var weightName = _metadata.GetOrAddUserString("ExclusiveWeight");
        foreach (var (method, weight) in methods)
        {
            EntityHandle handle;
            try
            {
                handle = MethodHandle(method);
            }
            catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or KeyNotFoundException or BadImageFormatException)
            {
                Skipped.Add($"{method.Key} ({ex.Message})");
                continue;
            }

            var group = GroupName(method);
            if (!groups.TryGetValue(group, out var il))
            {
                groups[group] = il = new InstructionEncoder(new BlobBuilder());
            }

            il.OpCode(ILOpCode.Ldtoken);
            il.Token(handle);
            il.LoadString(weightName);
            il.LoadConstantR8(weight);
            il.OpCode(ILOpCode.Pop);
        }

        var dictionary = new InstructionEncoder(new BlobBuilder());
        var number = 0;
        foreach (var (group, il) in groups)
        {
            il.OpCode(ILOpCode.Ret);
            var groupMethod = AddGlobalMethod($"Assemblies_{(group.Length > 200 ? group[..200] : group)}_{++number}", il);
            dictionary.LoadString(_metadata.GetOrAddUserString(group));
            dictionary.OpCode(ILOpCode.Ldtoken);
            dictionary.Token(groupMethod);
            dictionary.OpCode(ILOpCode.Pop);
        }

        dictionary.OpCode(ILOpCode.Ret);
        AddGlobalMethod("AssemblyDictionary", dictionary);

        var pe = new ManagedPEBuilder(
            new PEHeaderBuilder(imageCharacteristics: Characteristics.Dll | Characteristics.ExecutableImage),
            new MetadataRootBuilder(_metadata), _il, flags: CorFlags.ILOnly, deterministicIdProvider: content => new BlobContentId(DeterministicGuid("pe"), 1));
        var blob = new BlobBuilder();
        pe.Serialize(blob);
        blob.WriteContentTo(output);
    }

    // Fixed ids rather than fresh ones: nothing in the file needs to be unique, and a rerun should differ only where the profile does.
    private static Guid DeterministicGuid(string seed) => new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(seed)));

    private EntityHandle MethodHandle(MethodIdentity method)
    {
        if (_methods.TryGetValue(method.Key, out var handle))
        {
            return handle;
        }

        var source = _catalog.ByName[method.Assembly];
        var definition = source.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(method.MethodDefToken & 0xFFFFFF));
        if (MetadataTokens.GetToken(definition.GetDeclaringType()) != method.Owner.TypeDefToken)
        {
            throw new InvalidOperationException($"method {method.MethodDefToken:X8} is not declared by type {method.Owner.TypeDefToken:X8}");
        }

        var signatureReader = source.GetBlobReader(definition.Signature);
        var signature = new BlobBuilder();
        CopyMethodSignature(method.Assembly, source, ref signatureReader, signature);
        var memberKey = $"member:{method.Owner.Key}#{method.MethodDefToken:X8}";
        if (!_methods.TryGetValue(memberKey, out var member))
        {
            _methods[memberKey] = member = _metadata.AddMemberReference(
                OwnerHandle(method.Owner), _metadata.GetOrAddString(source.GetString(definition.Name)), _metadata.GetOrAddBlob(signature));
        }

        handle = member;
        if (method.MethodArguments.Length > 0)
        {
            var instantiation = new BlobBuilder();
            instantiation.WriteByte(0x0A); // GENERICINST method signature
            instantiation.WriteCompressedInteger(method.MethodArguments.Length);
            foreach (var argument in method.MethodArguments)
            {
                EncodeRuntimeType(argument, instantiation);
            }

            handle = _metadata.AddMethodSpecification(member, _metadata.GetOrAddBlob(instantiation));
        }

        return _methods[method.Key] = handle;
    }

    private AssemblyReferenceHandle AssemblyRef(string name)
    {
        if (!_assemblyRefs.TryGetValue(name, out var handle))
        {
            _assemblyRefs[name] = handle = _metadata.AddAssemblyReference(_metadata.GetOrAddString(name), new Version(0, 0, 0, 0), default, default, default, default);
        }

        return handle;
    }

    // A type named in a source assembly's metadata (definition, reference or specification), as a handle of this file.
    private EntityHandle TypeFromSource(string assembly, MetadataReader source, EntityHandle handle)
    {
        var key = $"{handle.Kind}:{assembly}:{MetadataTokens.GetToken(handle):X8}";
        if (handle.Kind != HandleKind.TypeSpecification && _types.TryGetValue(key, out var known))
        {
            return known;
        }

        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
            {
                var type = source.GetTypeDefinition((TypeDefinitionHandle)handle);
                EntityHandle scope = type.GetDeclaringType().IsNil ? AssemblyRef(assembly) : TypeFromSource(assembly, source, type.GetDeclaringType());
                return _types[key] = _metadata.AddTypeReference(scope, _metadata.GetOrAddString(source.GetString(type.Namespace)), _metadata.GetOrAddString(source.GetString(type.Name)));
            }

            case HandleKind.TypeReference:
            {
                var type = source.GetTypeReference((TypeReferenceHandle)handle);
                EntityHandle scope = type.ResolutionScope.Kind switch
                {
                    HandleKind.AssemblyReference => AssemblyRef(source.GetString(source.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name)),
                    HandleKind.TypeReference => TypeFromSource(assembly, source, (EntityHandle)type.ResolutionScope),
                    _ => AssemblyRef(assembly),
                };
                return _types[key] = _metadata.AddTypeReference(scope, _metadata.GetOrAddString(source.GetString(type.Namespace)), _metadata.GetOrAddString(source.GetString(type.Name)));
            }

            case HandleKind.TypeSpecification:
            {
                var reader = source.GetBlobReader(source.GetTypeSpecification((TypeSpecificationHandle)handle).Signature);
                var blob = new BlobBuilder();
                CopyType(assembly, source, ref reader, blob);
                return _metadata.AddTypeSpecification(_metadata.GetOrAddBlob(blob));
            }

            default:
                throw new NotSupportedException($"a type token of kind {handle.Kind}");
        }
    }

    // Copies a signature, custom modifiers included (they are part of what a MemberRef must match), with its tokens
    // re-expressed in this file.
    private void CopyMethodSignature(string assembly, MetadataReader source, ref BlobReader reader, BlobBuilder blob)
    {
        var header = reader.ReadSignatureHeader();
        blob.WriteByte(header.RawValue);
        if (header.IsGeneric)
        {
            blob.WriteCompressedInteger(reader.ReadCompressedInteger());
        }

        var parameters = reader.ReadCompressedInteger();
        blob.WriteCompressedInteger(parameters);
        for (var i = 0; i <= parameters; i++) // the return type, then each parameter
        {
            CopyType(assembly, source, ref reader, blob);
        }
    }

    private void CopyType(string assembly, MetadataReader source, ref BlobReader reader, BlobBuilder blob)
    {
        while (true)
        {
            var code = reader.ReadByte();
            blob.WriteByte(code);
            switch (code)
            {
                case ElementTypes.RequiredModifier or ElementTypes.OptionalModifier:
                    WriteTypeToken(blob, TypeFromSource(assembly, source, reader.ReadTypeHandle()));
                    continue; // then the modified type
                case ElementTypes.Sentinel or ElementTypes.Pinned or ElementTypes.ByRef or ElementTypes.Pointer or ElementTypes.SzArray:
                    continue; // then the element type
                case ElementTypes.ValueType or ElementTypes.Class:
                    WriteTypeToken(blob, TypeFromSource(assembly, source, reader.ReadTypeHandle()));
                    return;
                case ElementTypes.Var or ElementTypes.MethodVar:
                    blob.WriteCompressedInteger(reader.ReadCompressedInteger());
                    return;
                case ElementTypes.GenericInstance:
                {
                    blob.WriteByte(reader.ReadByte()); // CLASS or VALUETYPE
                    WriteTypeToken(blob, TypeFromSource(assembly, source, reader.ReadTypeHandle()));
                    var count = reader.ReadCompressedInteger();
                    blob.WriteCompressedInteger(count);
                    for (var i = 0; i < count; i++)
                    {
                        CopyType(assembly, source, ref reader, blob);
                    }

                    return;
                }

                case ElementTypes.Array:
                {
                    CopyType(assembly, source, ref reader, blob);
                    blob.WriteCompressedInteger(reader.ReadCompressedInteger()); // rank
                    var sizes = reader.ReadCompressedInteger();
                    blob.WriteCompressedInteger(sizes);
                    for (var i = 0; i < sizes; i++)
                    {
                        blob.WriteCompressedInteger(reader.ReadCompressedInteger());
                    }

                    var lowerBounds = reader.ReadCompressedInteger();
                    blob.WriteCompressedInteger(lowerBounds);
                    for (var i = 0; i < lowerBounds; i++)
                    {
                        blob.WriteCompressedSignedInteger(reader.ReadCompressedSignedInteger());
                    }

                    return;
                }

                case ElementTypes.FunctionPointer:
                    CopyMethodSignature(assembly, source, ref reader, blob);
                    return;
                default:
                    return; // primitives, string, object, typedref, native int
            }
        }
    }

    private static void WriteTypeToken(BlobBuilder blob, EntityHandle handle) => blob.WriteCompressedInteger(CodedIndex.TypeDefOrRefOrSpec(handle));

    private bool IsValueType(NamedType type)
    {
        var source = _catalog.ByName[type.Assembly];
        var definition = source.GetTypeDefinition(MetadataTokens.TypeDefinitionHandle(type.TypeDefToken & 0xFFFFFF));
        if (definition.BaseType.IsNil)
        {
            return false; // an interface, or System.Object itself
        }

        var (ns, name) = definition.BaseType.Kind switch
        {
            HandleKind.TypeReference => (source.GetString(source.GetTypeReference((TypeReferenceHandle)definition.BaseType).Namespace),
                source.GetString(source.GetTypeReference((TypeReferenceHandle)definition.BaseType).Name)),
            HandleKind.TypeDefinition => (source.GetString(source.GetTypeDefinition((TypeDefinitionHandle)definition.BaseType).Namespace),
                source.GetString(source.GetTypeDefinition((TypeDefinitionHandle)definition.BaseType).Name)),
            _ => ("", ""),
        };
        var isEnumItself = type.Name == "System.Enum" && type.Assembly == "System.Private.CoreLib";
        return ns == "System" && (name == "ValueType" || (name == "Enum" && !isEnumItself));
    }

    private EntityHandle DefinitionOf(NamedType type) =>
        TypeFromSource(type.Assembly, _catalog.ByName[type.Assembly], MetadataTokens.TypeDefinitionHandle(type.TypeDefToken & 0xFFFFFF));

    private void EncodeRuntimeType(RuntimeType type, BlobBuilder blob)
    {
        switch (type)
        {
            case CanonType:
                blob.WriteByte(ElementTypes.Class);
                WriteTypeToken(blob, _canon);
                break;
            case PrimitiveType primitive:
                blob.WriteByte(primitive.ElementType);
                break;
            case CompositeType { ElementType: ElementTypes.Array } array:
                blob.WriteByte(ElementTypes.Array);
                EncodeRuntimeType(array.Element, blob);
                blob.WriteCompressedInteger(array.Rank);
                blob.WriteCompressedInteger(0); // no sizes
                blob.WriteCompressedInteger(0); // no lower bounds
                break;
            case CompositeType composite:
                blob.WriteByte(composite.ElementType);
                EncodeRuntimeType(composite.Element, blob);
                break;
            case NamedType { Arguments.Length: 0 } named:
                blob.WriteByte(IsValueType(named) ? ElementTypes.ValueType : ElementTypes.Class);
                WriteTypeToken(blob, DefinitionOf(named));
                break;
            case NamedType generic:
                blob.WriteByte(ElementTypes.GenericInstance);
                blob.WriteByte(IsValueType(generic) ? ElementTypes.ValueType : ElementTypes.Class);
                WriteTypeToken(blob, DefinitionOf(generic));
                blob.WriteCompressedInteger(generic.Arguments.Length);
                foreach (var argument in generic.Arguments)
                {
                    EncodeRuntimeType(argument, blob);
                }

                break;
        }
    }

    private EntityHandle OwnerHandle(NamedType owner)
    {
        if (owner.Arguments.Length == 0)
        {
            return DefinitionOf(owner);
        }

        var key = "spec:" + owner.Key;
        if (!_types.TryGetValue(key, out var handle))
        {
            var blob = new BlobBuilder();
            EncodeRuntimeType(owner, blob);
            _types[key] = handle = _metadata.AddTypeSpecification(_metadata.GetOrAddBlob(blob));
        }

        return handle;
    }

    private static void CollectAssemblies(RuntimeType type, SortedSet<string> into)
    {
        switch (type)
        {
            case NamedType named:
                into.Add(named.Assembly);
                foreach (var argument in named.Arguments)
                {
                    CollectAssemblies(argument, into);
                }

                break;
            case CompositeType composite:
                CollectAssemblies(composite.Element, into);
                break;
        }
    }

    private MethodDefinitionHandle AddGlobalMethod(string name, InstructionEncoder il) =>
        _metadata.AddMethodDefinition(
            MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, MethodImplAttributes.IL,
            _metadata.GetOrAddString(name), _voidSignature, _bodies.AddMethodBody(il, maxStack: 8), default);
}
