namespace Mesos.StartupProfile;

/// <summary>A type as the runtime used it, resolved to metadata: what a profile entry's signature is built from.</summary>
internal abstract record RuntimeType
{
    /// <summary>A stable text that identifies the type (and, within a method's key, the method).</summary>
    public abstract string Key { get; }
}

/// <summary>System.__Canon: the stand-in for every reference type in shared generic code.</summary>
internal sealed record CanonType : RuntimeType
{
    public override string Key => "__Canon";
}

/// <summary>A primitive, string or object, by its ECMA-335 element type.</summary>
internal sealed record PrimitiveType(byte ElementType) : RuntimeType
{
    public override string Key => $"prim{ElementType:X2}";
}

/// <summary>A type definition of an assembly, with its generic arguments when instantiated.</summary>
internal sealed record NamedType(string Assembly, int TypeDefToken, string Name, RuntimeType[] Arguments) : RuntimeType
{
    public override string Key => Arguments.Length == 0
        ? $"[{Assembly}]{Name}"
        : $"[{Assembly}]{Name}<{string.Join(",", Arguments.Select(a => a.Key))}>";
}

/// <summary>An array (SZARRAY 0x1D, or ARRAY 0x14 with a rank), pointer (0x0F) or byref (0x10) of another type.</summary>
internal sealed record CompositeType(byte ElementType, int Rank, RuntimeType Element) : RuntimeType
{
    public override string Key => ElementType switch
    {
        ElementTypes.SzArray => Element.Key + "[]",
        ElementTypes.Array => Element.Key + "[" + new string(',', Math.Max(0, Rank - 1)) + "]",
        ElementTypes.Pointer => Element.Key + "*",
        _ => Element.Key + "&",
    };
}

/// <summary>A method the runtime ran: its definition, the instantiation of its owner and its own type arguments.</summary>
internal sealed record MethodIdentity(NamedType Owner, int MethodDefToken, RuntimeType[] MethodArguments)
{
    public string Assembly => Owner.Assembly;

    public string Key => $"{Owner.Key}#{MethodDefToken:X8}" +
        (MethodArguments.Length == 0 ? "" : "<" + string.Join(",", MethodArguments.Select(a => a.Key)) + ">");
}

/// <summary>The ECMA-335 element types this tool reads or writes.</summary>
internal static class ElementTypes
{
    public const byte Pointer = 0x0F;
    public const byte ByRef = 0x10;
    public const byte ValueType = 0x11;
    public const byte Class = 0x12;
    public const byte Var = 0x13;
    public const byte Array = 0x14;
    public const byte GenericInstance = 0x15;
    public const byte FunctionPointer = 0x1B;
    public const byte SzArray = 0x1D;
    public const byte MethodVar = 0x1E;
    public const byte RequiredModifier = 0x1F;
    public const byte OptionalModifier = 0x20;
    public const byte Sentinel = 0x41;
    public const byte Pinned = 0x45;
}
