using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Parser;

/// <summary>
/// Writes compile-time constants as C# expressions that box to exactly the type the consumer
/// unboxes: a literal cast to the parameter's type, so that <c>3</c> passed to a <c>long</c>
/// parameter is stored as a boxed <c>long</c>.
/// </summary>
internal static class ConstantFormatter
{
    public static string Format(object? value, ITypeSymbol target)
    {
        if (value is null)
        {
            return target.IsValueType && target.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T
                ? Default(target)
                : "null";
        }

        var literal = Literal(value);
        var sameType = target.SpecialType != SpecialType.None && target.SpecialType == SpecialTypeOf(value);
        return sameType ? literal : "(" + TypeNames.Global(target) + ")(" + literal + ")";
    }

    public static string Default(ITypeSymbol target) => "default(" + TypeNames.Global(target) + ")";

    private static string Literal(object value) => value switch
    {
        string s => SymbolDisplay.FormatLiteral(s, quote: true),
        char c => SymbolDisplay.FormatLiteral(c, quote: true),
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
        ulong ul => ul.ToString(CultureInfo.InvariantCulture) + "UL",
        short s16 => "(short)" + s16.ToString(CultureInfo.InvariantCulture),
        ushort u16 => "(ushort)" + u16.ToString(CultureInfo.InvariantCulture),
        byte b8 => "(byte)" + b8.ToString(CultureInfo.InvariantCulture),
        sbyte s8 => "(sbyte)" + s8.ToString(CultureInfo.InvariantCulture),
        float f => Float(f),
        double d => Double(d),
        decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.GetType().FullName, "Not a C# constant type."),
    };

    /// <summary>A double as a C# literal that round-trips; NaN and infinities by name.</summary>
    public static string Double(double d) =>
        double.IsNaN(d) ? "double.NaN"
        : double.IsPositiveInfinity(d) ? "double.PositiveInfinity"
        : double.IsNegativeInfinity(d) ? "double.NegativeInfinity"
        : d.ToString("R", CultureInfo.InvariantCulture) + "D";

    private static string Float(float f) =>
        float.IsNaN(f) ? "float.NaN"
        : float.IsPositiveInfinity(f) ? "float.PositiveInfinity"
        : float.IsNegativeInfinity(f) ? "float.NegativeInfinity"
        : f.ToString("R", CultureInfo.InvariantCulture) + "F";

    private static SpecialType SpecialTypeOf(object value) => value switch
    {
        string => SpecialType.System_String,
        char => SpecialType.System_Char,
        bool => SpecialType.System_Boolean,
        int => SpecialType.System_Int32,
        long => SpecialType.System_Int64,
        uint => SpecialType.System_UInt32,
        ulong => SpecialType.System_UInt64,
        float => SpecialType.System_Single,
        double => SpecialType.System_Double,
        decimal => SpecialType.System_Decimal,
        _ => SpecialType.None,
    };
}
